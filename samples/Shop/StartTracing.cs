using Coldmod.Runtime;

namespace Shop;

// Your app can simply call ColdmodTracing.Start() in Main. The sample keeps the call in this file, compiled only
// when ColdmodWeave is true (see Shop.csproj), because Coldmod's end-to-end tests also build it without Coldmod.
public static partial class Program
{
    // Reports to the backend named by COLDMOD_GRPC_HOST; without one it says so in one line and the app runs on
    // (offline mode, COLDMOD_HEATMAP_FILE, needs no call at all).
    static partial void StartTracing() => ColdmodTracing.Start();
}
