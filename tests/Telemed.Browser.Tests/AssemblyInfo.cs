// Each class starts its own server process and Chromium; on a 2-core machine running them side by side makes WebRTC
// timings (asserted within seconds) depend on the neighbour, so they run one at a time in one collection
// (Support/OneAtATime.cs). The session-expiry test spends its minute and a half waiting for a token to expire, so it
// runs beside them in a collection of its own.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
