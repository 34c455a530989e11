using Coldmod.Protocol;

namespace Coldmod.Cli.Tests;

// Each test has its own server: resets change what every other test would see.
public sealed class ResetCommandTests : IDisposable
{
    private readonly ServedBackend _backend = new();

    public void Dispose() => _backend.Dispose();

    [Fact]
    public void Without_confirm_nothing_is_reset()
    {
        Seed();

        var result = Cli.Run(Path.GetTempPath(), _backend.Environment, "reset");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("coldmod: error: reset deletes the app's counts and cannot be undone; add --confirm to go ahead.", result.ErrorLines[0]);
        Assert.Equal(7ul, Status().HitsTotal);
    }

    [Fact]
    public void The_only_app_is_reset_to_zero_and_keeps_its_srcs()
    {
        Seed();

        var result = Cli.Run(Path.GetTempPath(), _backend.Environment, "reset", "--confirm");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("reset the heatmap of Shop: 2 srcs back to 0\n", result.Out);
        var status = Status();
        Assert.Equal(0ul, status.HitsTotal);
        Assert.Equal(2ul, status.Srcs);
    }

    [Fact]
    public void Several_apps_need_app_and_all_deletes_them_all()
    {
        Seed();
        _backend.Set("Billing", ("Billing.Invoice.Describe", "Invoice.cs", 3));

        var ambiguous = Cli.Run(Path.GetTempPath(), _backend.Environment, "reset", "--confirm");
        var one = Cli.Run(Path.GetTempPath(), _backend.Environment, "reset", "--confirm", "--app", "Billing");
        var all = Cli.Run(Path.GetTempPath(), _backend.Environment, "reset", "--all", "--confirm");

        Assert.Equal(ExitCodes.Usage, ambiguous.ExitCode);
        Assert.Equal(
            $"coldmod: error: The server at {_backend.GrpcHost} knows several apps (Billing, Shop); choose one with --app NAME.",
            ambiguous.ErrorLines[0]);
        Assert.Equal("reset the heatmap of Billing: 1 src back to 0\n", one.Out);
        Assert.Equal($"deleted 2 apps with 3 srcs from the server at {_backend.GrpcHost}\n", all.Out);
        Assert.Empty(Status().Apps);
    }

    [Fact]
    public void An_unknown_app_or_an_empty_server_is_one_line()
    {
        var empty = Cli.Run(Path.GetTempPath(), _backend.Environment, "reset", "--confirm");
        Seed();
        var unknown = Cli.Run(Path.GetTempPath(), _backend.Environment, "reset", "--confirm", "--app", "Nope");

        Assert.Equal(ExitCodes.Failure, empty.ExitCode);
        Assert.Equal(
            $"coldmod: error: The server at {_backend.GrpcHost} knows no app yet: an app appears once it runs woven with COLDMOD_GRPC_HOST={_backend.GrpcHost}.\n",
            empty.Error);
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.StartsWith($"coldmod: error: The server at {_backend.GrpcHost} has no app 'Nope' (", Assert.Single(unknown.ErrorLines), StringComparison.Ordinal);
    }

    private void Seed()
    {
        _backend.Set("Shop", ("Shop.Cart.Add", "Cart.cs", 3), ("Shop.Cart.Total", "Cart.cs", 9));
        _backend.Collect("Shop", ("Shop.Cart.Add", 7));
    }

    private StatusReply Status() => _backend.Ops.Status(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
}
