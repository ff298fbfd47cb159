namespace Telemed.Domain.Queue;

/// <summary>
/// The order in which the line is called. Emergencies first, then the elderly, then everyone else. Within each,
/// walk-ins keep their token order, and a booked patient who has checked in stands at the start of their slot: ahead of
/// every walk-in who checked in after the slot began, behind every walk-in who checked in before it. Booked patients
/// among themselves go by slot. So walk-ins fill the time between slots, a booked patient who arrives early is seen
/// early only when nobody who came before them is waiting, and one who arrives late (within the grace time) does not
/// lose the place their booking held.
/// </summary>
public static class CallingOrder
{
    public static IEnumerable<QueueEntry> Of(IEnumerable<QueueEntry> inLine)
    {
        foreach (var group in inLine.GroupBy(e => e.Priority).OrderByDescending(g => g.Key))
        {
            using var walkIns = group.Where(e => e.SlotStartsAt is null).OrderBy(e => e.Token).GetEnumerator();
            using var booked = group.Where(e => e.SlotStartsAt is not null).OrderBy(e => e.SlotStartsAt).ThenBy(e => e.Token).GetEnumerator();
            var hasWalkIn = walkIns.MoveNext();
            var hasBooked = booked.MoveNext();
            while (hasWalkIn || hasBooked)
            {
                if (hasBooked && (!hasWalkIn || booked.Current.SlotStartsAt <= walkIns.Current.CheckedInAt))
                {
                    yield return booked.Current;
                    hasBooked = booked.MoveNext();
                }
                else
                {
                    yield return walkIns.Current;
                    hasWalkIn = walkIns.MoveNext();
                }
            }
        }
    }
}
