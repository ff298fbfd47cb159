// Each class starts its own server process and Chromium; on a 2-core machine running them side by side makes
// WebRTC timings (asserted within 10 s) depend on the neighbour. One class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
