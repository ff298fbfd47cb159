using Microsoft.Extensions.Hosting.Internal;
using Telemed.Server.Identity;

namespace Telemed.Server.Tests.Identity;

public class DemoSeedTests
{
    [Theory]
    [InlineData("Production", true, false)]
    [InlineData("Production", false, true)]
    [InlineData("Development", true, true)]
    [InlineData("Staging", true, true)]
    public void The_demo_seed_and_its_published_password_are_refused_in_production(string environment, bool seed, bool starts)
    {
        var validation = new DemoOptionsValidation(new HostingEnvironment { EnvironmentName = environment });

        var result = validation.Validate(null, new DemoOptions { Seed = seed });

        result.Succeeded.ShouldBe(starts);
        if (!starts)
        {
            result.FailureMessage.ShouldContain("Demo:Seed");
        }
    }
}
