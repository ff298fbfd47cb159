using Telemed.Domain.Signalling;

namespace Telemed.Domain.Tests.Signalling;

public class TokenBucketTests
{
    [Fact]
    public void A_burst_up_to_capacity_passes_and_the_next_is_refused()
    {
        var bucket = new TokenBucket(capacity: 50, perSecond: 50, ticksPerSecond: 1000);

        Enumerable.Range(0, 50).All(_ => bucket.TryTake(0)).ShouldBeTrue();
        bucket.TryTake(0).ShouldBeFalse();
    }

    [Fact]
    public void The_budget_refills_with_time_but_never_beyond_capacity()
    {
        var bucket = new TokenBucket(capacity: 5, perSecond: 10, ticksPerSecond: 1000);
        for (var i = 0; i < 5; i++)
        {
            bucket.TryTake(0);
        }

        bucket.TryTake(100).ShouldBeTrue(); // 100 ms at 10/s gives one back
        bucket.TryTake(100).ShouldBeFalse();
        Enumerable.Range(0, 6).Count(_ => bucket.TryTake(60_000)).ShouldBe(5);
    }
}
