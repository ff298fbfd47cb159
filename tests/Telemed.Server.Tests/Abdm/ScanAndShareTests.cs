using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.AbdmSimulator;
using Telemed.Domain.Abdm;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Queue;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>Scan &amp; Share: a profile shared from a PHR app at a facility's counter becomes a token in that facility's open OPD.</summary>
public class ScanAndShareTests(AbdmFixture abdm) : IClassFixture<AbdmFixture>
{
    private IDocumentStore Store => abdm.Host.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task A_new_patient_sharing_their_profile_is_registered_and_given_a_token_in_the_open_opd()
    {
        await Sessions.Open(abdm.Host);
        var person = abdm.Abdm.People.Open(new Resident(Population.NewAadhaar(), "Geeta Bai", "F", new DateOnly(1961, 12, 1), Api.NewMobile()[^10..]));

        var shared = await abdm.Abdm.Phr.Share(person.PreferredAddress, AbdmFixture.HipId, "REG-2");

        shared.TokenNumber.ShouldNotBeNull();
        shared.OnShare!["acknowledgement"]!["profile"]!["context"]!.GetValue<string>().ShouldBe("REG-2");
        await using var session = Store.QuerySession();
        var patient = await session.Query<PatientAccount>().Where(p => p.Mobile == "+91" + person.Mobile).SingleAsync();
        patient.Name.ShouldBe("Geeta Bai");
        patient.YearOfBirth.ShouldBe(1961);
        (await session.LoadAsync<PatientAbha>(patient.Id))!.Proof.ShouldBe(AbhaProof.ScanAndShare);
        var queue = abdm.Host.Services.GetRequiredService<Telemed.Server.Queue.QueueService>();
        var openHere = await session.Query<SessionListing>().Where(s => s.FacilityId == Sessions.Facility && s.Status == SessionStatus.Open).Select(s => s.Id).ToListAsync();
        var tokens = new List<string>();
        foreach (var id in openHere)
        {
            var opd = await queue.Load(id, CancellationToken.None);
            tokens.AddRange(opd!.Entries.Where(e => e.PatientId == patient.Id).Select(e => e.Token.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        tokens.ShouldBe([shared.TokenNumber!]);
    }

    [Fact]
    public async Task A_patient_known_by_their_mobile_is_recognised_and_sharing_again_keeps_their_token()
    {
        await Sessions.Open(abdm.Host);
        var (abha, patient, _) = await abdm.PatientWithAbha("Imran Khan", "M", 1975);

        var first = await abdm.Abdm.Phr.Share(abha.PreferredAddress, AbdmFixture.HipId, "REG-1");
        var again = await abdm.Abdm.Phr.Share(abha.PreferredAddress, AbdmFixture.HipId, "REG-1");

        first.TokenNumber.ShouldNotBeNull();
        again.TokenNumber.ShouldBe(first.TokenNumber);
        await using var session = Store.QuerySession();
        (await session.LoadAsync<PatientAbha>(patient.Id))!.Profile.Number.ShouldBe(abha.Number);
        (await session.Query<PatientAccount>().Where(p => p.Name == "Imran Khan").CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task A_share_at_a_facility_with_no_open_opd_is_answered_with_the_reason()
    {
        await using (var session = Store.LightweightSession())
        {
            session.Insert(new Facility(Guid.NewGuid(), "IN9900000042", "Sub Centre Khed", "Pune", "Maharashtra", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }
        var person = abdm.Abdm.People.Open(new Resident(Population.NewAadhaar(), "Sita Pawar", "F", new DateOnly(1999, 5, 5), Api.NewMobile()[^10..]));

        var shared = await abdm.Abdm.Phr.Share(person.PreferredAddress, "IN9900000042", "REG-1");

        shared.TokenNumber.ShouldBeNull();
        shared.ErrorMessage!.ShouldContain("No free OPD is open at Sub Centre Khed");
    }
}
