using Xunit.Abstractions;

namespace Coldmod.Server.Tests;

public sealed class SqliteTracesTests(ITestOutputHelper output) : TracesTests(output);
