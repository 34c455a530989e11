namespace Coldmod.Server.Internal.Store;

// One app's line on the web page: srcs and cold of the current version (as the page's tree and table show them);
// hits over every retained version; tracked since the app's oldest src.
internal sealed record ViewAppRow(string Name, long Srcs, long Cold, long Hits, long ProcessesLastHour, long? TrackedSince);
