using Coldmod.Runtime;
using Coldmod.Runtime.Internal.Sending;

namespace Coldmod.Sender.Tests;

public sealed class SettingsTests
{
    [Theory]
    [InlineData(null, "on", "COLDMOD_GRPC_HOST")]
    [InlineData("127.0.0.1", "on", "COLDMOD_GRPC_HOST")]
    [InlineData("http://127.0.0.1:7777", "on", "COLDMOD_GRPC_HOST")]
    [InlineData("127.0.0.1:7777", "off", "COLDMOD_API_KEY")]
    [InlineData("127.0.0.1:7777", null, "COLDMOD_API_KEY")]
    public void A_missing_or_invalid_variable_is_named_with_what_to_set(string? host, string? insecure, string variable)
    {
        var environment = new Dictionary<string, string?> { ["COLDMOD_GRPC_HOST"] = host, ["COLDMOD_INSECURE"] = insecure, ["COLDMOD_APP"] = "app" };

        var settings = SenderSettings.Resolve(new ColdmodTracingOptions(), name => environment.GetValueOrDefault(name), out var problem);

        Assert.Null(settings);
        Assert.StartsWith(variable, problem, StringComparison.Ordinal);
        Assert.Contains("set", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem!);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("2h")]
    public void An_invalid_flush_interval_is_refused(string interval)
    {
        var environment = new Dictionary<string, string?> { ["COLDMOD_GRPC_HOST"] = "127.0.0.1:7777", ["COLDMOD_INSECURE"] = "on", ["COLDMOD_APP"] = "app", ["COLDMOD_FLUSH_INTERVAL"] = interval };

        Assert.Null(SenderSettings.Resolve(new ColdmodTracingOptions(), name => environment.GetValueOrDefault(name), out var problem));
        Assert.StartsWith("COLDMOD_FLUSH_INTERVAL", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_list_gives_every_host_in_order_and_a_bad_entry_is_named()
    {
        var environment = new Dictionary<string, string?> { ["COLDMOD_GRPC_HOST"] = "10.0.0.1:7777, 10.0.0.2:7778", ["COLDMOD_INSECURE"] = "on", ["COLDMOD_APP"] = "app" };

        var settings = SenderSettings.Resolve(new ColdmodTracingOptions(), name => environment.GetValueOrDefault(name), out var problem);

        Assert.Null(problem);
        Assert.Equal(["10.0.0.1:7777", "10.0.0.2:7778"], settings!.Addresses.Select(a => a.Authority));
        Assert.Equal("10.0.0.1:7777", settings.Address.Authority);

        environment["COLDMOD_GRPC_HOST"] = "10.0.0.1:7777,10.0.0.2";
        Assert.Null(SenderSettings.Resolve(new ColdmodTracingOptions(), name => environment.GetValueOrDefault(name), out problem));
        Assert.StartsWith("COLDMOD_GRPC_HOST=10.0.0.1:7777,10.0.0.2 is not a host:port or a comma-separated list of them ('10.0.0.2' is not)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_variables_make_settings()
    {
        var environment = new Dictionary<string, string?>
        {
            ["COLDMOD_GRPC_HOST"] = "collector.internal:443",
            ["COLDMOD_API_KEY"] = "secret",
            ["COLDMOD_APP"] = "shop",
            ["COLDMOD_FLUSH_INTERVAL"] = "250ms",
        };

        var settings = SenderSettings.Resolve(new ColdmodTracingOptions(), name => environment.GetValueOrDefault(name), out var problem);

        Assert.Null(problem);
        Assert.Equal(new SenderSettings(new Uri("https://collector.internal:443"), "shop", false, "secret", null, TimeSpan.FromMilliseconds(250)), settings);
    }
}
