using Xunit.Abstractions;

namespace Coldmod.Server.Tests;

public sealed class SqliteOpsTests(ITestOutputHelper output) : OpsTests(output);
