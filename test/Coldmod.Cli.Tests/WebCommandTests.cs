namespace Coldmod.Cli.Tests;

public sealed class WebCommandTests
{
    [Theory]
    [InlineData("on", "127.0.0.1:7778", "http://127.0.0.1:7778/")]
    [InlineData("", "127.0.0.1:9443", "https://127.0.0.1:9443/")]
    [InlineData("on", "0.0.0.0:8080", "http://127.0.0.1:8080/")]
    public void Web_prints_the_pages_url_from_the_web_host_and_the_security_setting(string insecure, string webHost, string expected)
    {
        var environment = new Dictionary<string, string> { ["COLDMOD_INSECURE"] = insecure, ["COLDMOD_WEB_HOST"] = webHost };

        var result = Cli.Run(Path.GetTempPath(), environment, "web");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(expected + "\n", result.Out);
    }

    [Fact]
    public void A_web_host_without_a_port_is_a_usage_error()
    {
        var result = Cli.Run(Path.GetTempPath(), new Dictionary<string, string>(), "web", "--web-host", "example");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("'example' is not HOST:PORT", result.ErrorLines[0], StringComparison.Ordinal);
    }
}
