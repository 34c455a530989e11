using Coldmod.Protocol;
using Coldmod.Server.Internal.Connect;

namespace Coldmod.Server.Components.Connect;

/// <summary>
/// What one connect page knows of its session: the CLI's state and checkout, the rows the user selected or
/// ignored, the command in flight and the last outcome. Commands go to the session's CLI through the server;
/// the page holds no copy of the checkout beyond the session's last inventory.
/// </summary>
public sealed class ConnectState : IDisposable
{
    private readonly ConnectSessions _sessions;
    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ignored = new(StringComparer.Ordinal);
    private readonly IDisposable _watch;
    private int _disposed;

    internal ConnectState(ConnectSessions sessions, string sessionId)
    {
        _sessions = sessions;
        SessionId = sessionId;
        _watch = sessions.Watch(sessionId, () =>
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                OnChanged();
            }
        });
    }

    /// <summary>
    /// Raised, on any thread, when the session or the page's commands changed: the page and each row in view redraw
    /// (the grid itself does not re-render rows whose entries did not change).
    /// </summary>
    public event Action? Changed;

    /// <summary>The session's id, from the page's URL.</summary>
    public string SessionId { get; }

    /// <summary>True while the session's CLI has its stream open.</summary>
    public bool Connected => Session?.Connected == true;

    /// <summary>The checkout's root directory, as the CLI named it.</summary>
    public string Root => Session?.Root ?? "";

    /// <summary>The developer's machine, as the CLI named it.</summary>
    public string Host => Session?.Host ?? "";

    /// <summary>Why the CLI refuses commands now (its build is older than its sources), or empty.</summary>
    public string Stale => Session?.Stale ?? "";

    /// <summary>The app the checkout belongs to.</summary>
    public string App => Session?.App ?? "";

    /// <summary>The keys selected for a command on several rows.</summary>
    public IReadOnlyCollection<string> Selected => _selected;

    /// <summary>The command in flight, described for the user, or null.</summary>
    public string? Busy { get; private set; }

    /// <summary>The last command's outcome, or null.</summary>
    public CommandOutcome? Outcome { get; private set; }

    /// <summary>A removal previewed and waiting for the user's confirmation, or null.</summary>
    public RemovalPreview? Preview { get; private set; }

    internal ConnectSession? Session => _sessions.Find(SessionId);

    /// <summary>Where the key is declared in the checkout now and how many references it has, or null when the checkout's build lacks it.</summary>
    public (string Location, int References)? Local(string key) =>
        Session?.Keys.TryGetValue(key, out var local) == true ? ($"{local.File}:{local.Line}", local.References) : null;

    /// <summary>Whether the user ignored the key from this page.</summary>
    public bool IsIgnored(string key) => _ignored.Contains(key);

    /// <summary>Whether the key's row is selected.</summary>
    public bool IsSelected(string key) => _selected.Contains(key);

    /// <summary>Selects or deselects a row.</summary>
    public void Toggle(string key)
    {
        if (!_selected.Remove(key))
        {
            _selected.Add(key);
        }

        OnChanged();
    }

    /// <summary>Forgets the selection.</summary>
    public void ClearSelection()
    {
        _selected.Clear();
        OnChanged();
    }

    /// <summary>Adds the keys to the checkout's ignore.keys; their rows grey out when the CLI did it.</summary>
    public async Task IgnoreAsync(IReadOnlyCollection<string> keys)
    {
        var command = new ModCommand { Ignore = Keys(keys) };
        if (await RunAsync($"Ignoring {Describe(keys)}", command) is { Ok: true })
        {
            _ignored.UnionWith(keys);
            _selected.ExceptWith(keys);
        }

        OnChanged();
    }

    /// <summary>Asks the CLI what removing the keys would change (its dry run); the user confirms or cancels the preview.</summary>
    public async Task PreviewRemoveAsync(IReadOnlyCollection<string> keys)
    {
        Preview = null;
        var keyList = keys.ToArray();
        if (await RunAsync($"Previewing the removal of {Describe(keyList)}", new ModCommand { Remove = Keys(keyList), DryRun = true }) is { Ok: true } outcome)
        {
            Preview = new RemovalPreview(keyList, outcome.Text);
            Outcome = null;
        }

        OnChanged();
    }

    /// <summary>Removes the previewed keys from the checkout's sources.</summary>
    public async Task ConfirmRemoveAsync()
    {
        if (Preview is not { } preview)
        {
            return;
        }

        Preview = null;
        if (await RunAsync($"Removing {Describe(preview.Keys)}", new ModCommand { Remove = Keys(preview.Keys) }) is { Ok: true })
        {
            _selected.ExceptWith(preview.Keys);
        }

        OnChanged();
    }

    /// <summary>Drops the previewed removal.</summary>
    public void CancelRemove()
    {
        Preview = null;
        OnChanged();
    }

    /// <summary>Opens the key's method in the developer's editor.</summary>
    public async Task OpenAsync(string key)
    {
        await RunAsync($"Opening {key}", new ModCommand { Open = Keys([key]) });
        OnChanged();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _watch.Dispose();
        }
    }

    private void OnChanged() => Changed?.Invoke();

    private async Task<CommandOutcome?> RunAsync(string what, ModCommand command)
    {
        if (Busy is not null)
        {
            return null;
        }

        Busy = what;
        Outcome = null;
        OnChanged();
        try
        {
            var outcome = await _sessions.SendAsync(SessionId, command, CancellationToken.None);
            Outcome = new CommandOutcome(what, outcome.Ok, outcome.Ok ? outcome.Output : outcome.Error);
            return Outcome;
        }
        finally
        {
            Busy = null;
        }
    }

    private static ModKeys Keys(IEnumerable<string> keys)
    {
        var list = new ModKeys();
        list.Keys.AddRange(keys);
        return list;
    }

    private static string Describe(IReadOnlyCollection<string> keys) => keys.Count == 1 ? keys.First() : $"{keys.Count} methods";
}
