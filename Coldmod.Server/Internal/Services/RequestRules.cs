using System.Globalization;
using Coldmod.Protocol;
using Coldmod.Server.Internal.Connect;
using Coldmod.Server.Internal.Store;

namespace Coldmod.Server.Internal.Services;

// The limits documented at the top of coldmod.proto. Each check returns the problem, naming the
// field, or null; the service turns a problem into INVALID_ARGUMENT.
internal static class RequestRules
{
    public const int MaxAppLength = 256;
    public const int MaxKeyLength = 1024;
    public const int MaxFileLength = 4096;
    public const int MaxLabelLength = 1024;
    public const int MaxProcessIdLength = 256;

    public static string? App(string app) => Text("app", app, MaxAppLength, required: true);

    public static string? Set(SetRequest request)
    {
        var versionProblem = App(request.App)
            ?? Text("version", request.Version, VersionRules.MaxVersionLength, required: request.VersionOnly)
            ?? Text("label", request.Label, VersionRules.MaxLabelLength, required: false);
        if (versionProblem is not null)
        {
            return versionProblem;
        }

        if (request.VersionOnly && request.Srcs.Count > 0)
        {
            return $"version_only is set but {request.Srcs.Count} srcs were sent; send either the srcs or version_only";
        }

        for (var i = 0; i < request.Srcs.Count; i++)
        {
            var src = request.Srcs[i];
            var problem = Text($"srcs[{i}].key", src.Key, MaxKeyLength, required: true)
                ?? Text($"srcs[{i}].file", src.File, MaxFileLength, required: false)
                ?? Text($"srcs[{i}].label", src.Label, MaxLabelLength, required: false);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    public static string? Batch(Batch batch)
    {
        var problem = App(batch.App) ?? Text("process_id", batch.ProcessId, MaxProcessIdLength, required: true)
            ?? Text("version", batch.Version, VersionRules.MaxVersionLength, required: false);
        if (problem is not null)
        {
            return problem;
        }

        if (batch.Sequence == 0)
        {
            return "sequence is 0; sequences start at 1";
        }

        for (var i = 0; i < batch.Hits.Count; i++)
        {
            var hit = batch.Hits[i];
            if (Text($"hits[{i}].key", hit.Key, MaxKeyLength, required: true) is { } keyProblem)
            {
                return keyProblem;
            }

            if (hit.Count > long.MaxValue)
            {
                return $"hits[{i}].count is {hit.Count.ToString(CultureInfo.InvariantCulture)}; the limit is {long.MaxValue.ToString(CultureInfo.InvariantCulture)}";
            }

            if (hit.Estimated > hit.Count)
            {
                return $"hits[{i}].estimated is {hit.Estimated.ToString(CultureInfo.InvariantCulture)}, more than its count {hit.Count.ToString(CultureInfo.InvariantCulture)}";
            }

            if (!double.IsFinite(hit.EstimateVariance) || hit.EstimateVariance < 0)
            {
                return $"hits[{i}].estimate_variance is {hit.EstimateVariance.ToString(CultureInfo.InvariantCulture)}; it must be a finite number, 0 or more";
            }
        }

        return null;
    }

    public static string? Version(string version) => Text("version", version, VersionRules.MaxVersionLength, required: true);

    public const int MaxHostLength = 256;

    public static string? Hello(ModHello hello)
    {
        var problem = Text("hello.app", hello.App, MaxAppLength, required: true)
            ?? Text("hello.root", hello.Root, MaxFileLength, required: false)
            ?? Text("hello.host", hello.Host, MaxHostLength, required: false);
        if (problem is not null)
        {
            return problem;
        }

        if (hello.SessionId.Length > 0 && !ConnectSessions.IsSessionId(hello.SessionId))
        {
            return $"hello.session_id is not a session id: it must be {ConnectSessions.SessionIdLength} characters of base64url (A-Z a-z 0-9 - _), as in a /connect/{{id}} URL; leave it empty to open a new session";
        }

        return null;
    }

    public static string? Inventory(ModInventory inventory)
    {
        var problem = Text("inventory.stale", inventory.Stale, MaxLabelLength, required: false);
        if (problem is not null)
        {
            return problem;
        }

        for (var i = 0; i < inventory.Keys.Count; i++)
        {
            var key = inventory.Keys[i];
            problem = Text($"inventory.keys[{i}].key", key.Key, MaxKeyLength, required: true)
                ?? Text($"inventory.keys[{i}].file", key.File, MaxFileLength, required: false);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    public static string? Result(ModResult result) => Text("result.command_id", result.CommandId, MaxProcessIdLength, required: true);

    private static string? Text(string field, string value, int maxLength, bool required)
    {
        if (value.Length == 0)
        {
            return required ? $"{field} is empty" : null;
        }

        if (value.Length > maxLength)
        {
            return $"{field} is {value.Length} characters long; the limit is {maxLength}";
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                return $"{field} has a control character (U+{(int)value[i]:X4}) at index {i}";
            }
        }

        return null;
    }
}
