namespace Coldmod.Server.Internal.Store;

// One app's line on the web page: totals over every src of the app, whichever version listed it.
internal sealed record ViewAppRow(string Name, long Srcs, long Cold, long Hits, long ProcessesLastHour, long? TrackedSince);
