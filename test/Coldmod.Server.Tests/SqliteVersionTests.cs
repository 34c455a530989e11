using Xunit.Abstractions;

namespace Coldmod.Server.Tests;

public sealed class SqliteVersionTests(ITestOutputHelper output) : VersionTests(output);
