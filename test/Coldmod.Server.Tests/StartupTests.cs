using System.Security.Cryptography;
using Coldmod.Server.Tests.Infrastructure;
using Coldmod.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Coldmod.Server.Tests;

public sealed class StartupTests(TestCertificates certificates, ITestOutputHelper output) : IClassFixture<TestCertificates>, IDisposable
{
    private readonly TempDirectory _directory = new("coldmod-startup");

    private string StorePath => _directory.Combine("coldmod.db");

    private ServerSettings Insecure => new() { Store = StorePath };

    private ServerSettings Secure => new()
    {
        Store = StorePath,
        Insecure = "",
        TlsCert = certificates.CertificatePath,
        TlsKey = certificates.KeyPath,
        ApiKey = "key",
    };

    [Fact]
    public async Task A_store_file_of_random_bytes_is_refused_and_left_as_it_was()
    {
        var bytes = RandomNumberGenerator.GetBytes(64 * 1024);
        await File.WriteAllBytesAsync(StorePath, bytes);

        var error = await StartFailureAsync<ColdmodStoreException>(Insecure);

        Assert.Contains($"'{StorePath}' is not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains("COLDMOD_STORE", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(StorePath));
        Assert.Equal(["coldmod.db"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_read_only_store_file_is_refused_and_left_as_it_was()
    {
        await CreateStoreAsync();
        var bytes = await File.ReadAllBytesAsync(StorePath);
        File.SetAttributes(StorePath, FileAttributes.ReadOnly);

        var error = await StartFailureAsync<ColdmodStoreException>(Insecure);

        Assert.Contains($"'{StorePath}' is read-only", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(StorePath));
        File.SetAttributes(StorePath, FileAttributes.Normal);
    }

    [Fact]
    public async Task Another_programs_SQLite_database_is_refused_and_left_as_it_was()
    {
        ExecuteSql(StorePath, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada');");
        var bytes = await File.ReadAllBytesAsync(StorePath);

        var error = await StartFailureAsync<ColdmodStoreException>(Insecure);

        Assert.Contains("is a SQLite database but not a Coldmod store", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(StorePath));
    }

    [Fact]
    public async Task A_store_from_a_newer_Coldmod_is_refused()
    {
        await CreateStoreAsync();
        var current = ReadUserVersion(StorePath);
        ExecuteSql(StorePath, "PRAGMA user_version = 99;");

        var error = await StartFailureAsync<ColdmodStoreException>(Insecure);

        Assert.Contains($"was written by a newer Coldmod (schema version 99; this server knows up to {current})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_from_before_tracked_since_gets_it_from_the_first_call_or_the_upgrade()
    {
        await using (var first = await ServerHost.StartInProcessAsync(Insecure, output))
        {
            await first.Traces.SetAsync(Wire.Set("shop", "A.Called", "A.Cold"), deadline: Wire.Deadline);
            await Wire.CollectAsync(first.Traces, [Wire.Batch("shop", "p", 1, ("A.Called", 3))]);
        }

        // The store as schema version 2 left it: no tracked_since, and a first call long ago.
        ExecuteSql(StorePath, "UPDATE heat SET first_seen = 1000000000000 WHERE count > 0; ALTER TABLE srcs DROP COLUMN tracked_since; ALTER TABLE srcs DROP COLUMN label; PRAGMA user_version = 2;");
        var upgradedAt = DateTimeOffset.UtcNow;
        await using var second = await ServerHost.StartInProcessAsync(Insecure, output);

        var heat = await Wire.FetchAllAsync(second.Traces, "shop");
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000000000000), heat["A.Called"].TrackedSince.ToDateTimeOffset());
        Assert.InRange(heat["A.Cold"].TrackedSince.ToDateTimeOffset(), upgradedAt.AddSeconds(-2), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Without_insecure_mode_the_missing_TLS_and_key_settings_are_named_in_one_error()
    {
        var error = await StartFailureAsync<OptionsValidationException>(Insecure with { Insecure = "true" });

        Assert.Equal(
            "TLS and auth are required (COLDMOD_INSECURE is 'true', not 'on'): set COLDMOD_TLS_CERT (the server's PEM certificate file), "
            + "COLDMOD_TLS_KEY (the PEM private key file of that certificate), COLDMOD_API_KEY (the key clients send as a bearer token); "
            + "or set COLDMOD_INSECURE=on for plaintext without auth",
            error.Message);
        Assert.False(File.Exists(StorePath));
    }

    public static TheoryData<string, string> BadSettings => new()
    {
        { "COLDMOD_GRPC_HOST=nonsense", "COLDMOD_GRPC_HOST='nonsense' is not valid: it has no host:port form. Set it to host:port, for example 127.0.0.1:7777" },
        { "COLDMOD_GRPC_HOST=example.com:7777", "COLDMOD_GRPC_HOST='example.com:7777' is not valid: 'example.com' is not an IP address, localhost or *" },
        { "COLDMOD_WEB_HOST=127.0.0.1:99999", "COLDMOD_WEB_HOST='127.0.0.1:99999' is not valid: '99999' is not a port number (0-65535)" },
        { "COLDMOD_WEB_HOST=127.0.0.1:7777", "COLDMOD_GRPC_HOST and COLDMOD_WEB_HOST both use port 7777: give them different ports" },
        { "COLDMOD_STORE=redis://user:hunter2@cache:6379/99", "COLDMOD_STORE is not usable: '/99' is not a Redis database number (0-15); use redis://host:port[/db]" },
        { "COLDMOD_STORE=redis://user:hunter2@cache:6379,replica:port/0", "COLDMOD_STORE is not usable: 'replica:port' in the Redis URL is not host:port; use redis://host:port[,host:port…][/db]" },
        { "COLDMOD_STORE=mongodb://x", "COLDMOD_STORE is not usable: 'mongodb://' is not a known store" },
        { "COLDMOD_STORE=/nonexistent-coldmod-dir/coldmod.db", "COLDMOD_STORE is not usable: the directory '/nonexistent-coldmod-dir' does not exist" },
        { "COLDMOD_MAX_MESSAGE_SIZE=lots", "COLDMOD_MAX_MESSAGE_SIZE is not valid: 'lots' is not a number of bytes between 65536 and 268435456" },
        { "COLDMOD_TLS_CERT=/nonexistent/cert.pem", "COLDMOD_TLS_CERT='/nonexistent/cert.pem' does not exist: set it to the server's PEM certificate file" },
        { "COLDMOD_TLS_KEY=OTHER", "are not a usable PEM certificate and private key" },
        { "COLDMOD_API_KEY=two words", "COLDMOD_API_KEY contains whitespace or control characters" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_is_one_start_up_error_that_names_the_variable(string setting, string expected)
    {
        var (name, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        value = value == "OTHER" ? certificates.OtherKeyPath : value;
        var settings = name switch
        {
            "COLDMOD_GRPC_HOST" => Secure with { GrpcHost = value },
            "COLDMOD_WEB_HOST" => Secure with { WebHost = value },
            "COLDMOD_STORE" => Secure with { Store = value },
            "COLDMOD_MAX_MESSAGE_SIZE" => Secure with { MaxMessageSize = value },
            "COLDMOD_TLS_CERT" => Secure with { TlsCert = value },
            "COLDMOD_TLS_KEY" => Secure with { TlsKey = value },
            "COLDMOD_API_KEY" => Secure with { ApiKey = value },
            _ => throw new ArgumentException(name),
        };

        var error = await StartFailureAsync<OptionsValidationException>(settings);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(StorePath));
    }

    [Fact]
    public async Task An_unreachable_Redis_stops_the_start_with_one_error_naming_its_address()
    {
        var port = LoopbackPort.Free();
        var error = await StartFailureAsync<ColdmodStoreException>(Insecure with { Store = $"redis://user:hunter2@127.0.0.1:{port}/0" });

        Assert.StartsWith($"cannot connect to Redis at 127.0.0.1:{port}: start it or fix COLDMOD_STORE", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_reports_a_bad_start_in_one_line_and_returns_1()
    {
        var code = await ColdmodServer.RunAsync(
            [
                "--COLDMOD_INSECURE=on",
                $"--COLDMOD_STORE={_directory.Path}",
                $"--COLDMOD_GRPC_HOST=127.0.0.1:{LoopbackPort.Free()}",
                $"--COLDMOD_WEB_HOST=127.0.0.1:{LoopbackPort.Free()}",
            ]);

        Assert.Equal(1, code);
    }

    [Fact]
    public async Task RunAsync_serves_until_cancelled_and_returns_0()
    {
        var webPort = LoopbackPort.Free();
        using var stop = new CancellationTokenSource(Wire.CallTimeout);
        var running = ColdmodServer.RunAsync(
            [
                "--COLDMOD_INSECURE=on",
                $"--COLDMOD_STORE={StorePath}",
                $"--COLDMOD_GRPC_HOST=127.0.0.1:{LoopbackPort.Free()}",
                $"--COLDMOD_WEB_HOST=127.0.0.1:{webPort}",
                "--Logging:LogLevel:Default=Warning",
            ],
            stop.Token);
        using var web = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

        var healthy = false;
        for (var attempt = 0; attempt < 100 && !healthy && !running.IsCompleted; attempt++)
        {
            try
            {
                healthy = (await web.GetAsync(new Uri($"http://127.0.0.1:{webPort}/healthz"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        await stop.CancelAsync();
        Assert.True(healthy);
        Assert.Equal(0, await running.WaitAsync(Wire.CallTimeout));
        Assert.True(File.Exists(StorePath));
    }

    private async Task<TException> StartFailureAsync<TException>(ServerSettings settings)
        where TException : Exception
    {
        var log = new TestLogSink(output);
        // The host reports its own failed start; that error is the expected outcome here.
        log.ExpectErrors(e => e.Category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
        WebApplication? app = null;
        try
        {
            return await Assert.ThrowsAsync<TException>(async () =>
            {
                app = ServerHost.Build(settings, log, testServer: true);
                await app.StartAsync();
            });
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            log.AssertNoUnexpectedErrors();
        }
    }

    private async Task CreateStoreAsync()
    {
        await using var server = await ServerHost.StartInProcessAsync(Insecure, output);
        await server.Traces.SetAsync(Wire.Set("shop", "A.M"), deadline: Wire.Deadline);
    }

    private static long ReadUserVersion(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)command.ExecuteScalar()!;
    }

    private static void ExecuteSql(string path, string sql)
    {
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    public void Dispose() => _directory.Dispose();
}
