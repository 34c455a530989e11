using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;

namespace Coldmod.Server.Components.Connect;

/// <summary>One row's checkout: where the method is now, its references, and Ignore, Remove and Open.</summary>
public sealed partial class ConnectRow : IDisposable
{
    private ConnectState? _watched;

    /// <summary>The page's connect session.</summary>
    [Parameter]
    [EditorRequired]
    public ConnectState State { get; set; } = default!;

    /// <summary>The row.</summary>
    [Parameter]
    [EditorRequired]
    public HeatEntry Entry { get; set; } = default!;

    /// <inheritdoc />
    public void Dispose() => Watch(null);

    /// <inheritdoc />
    protected override void OnParametersSet() => Watch(State);

    // A new inventory or a command's outcome changes the row though its entry did not.
    private void Watch(ConnectState? state)
    {
        if (ReferenceEquals(state, _watched))
        {
            return;
        }

        if (_watched is not null)
        {
            _watched.Changed -= Redraw;
        }

        _watched = state;
        if (state is not null)
        {
            state.Changed += Redraw;
        }
    }

    private void Redraw() => _ = InvokeAsync(StateHasChanged);
}
