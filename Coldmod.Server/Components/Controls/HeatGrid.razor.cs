using System.Globalization;
using Coldmod.Server.Components.Connect;
using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.QuickGrid;

namespace Coldmod.Server.Components.Controls;

/// <summary>The methods shown, one row each, sortable by any column; only the rows in view are rendered.</summary>
public sealed partial class HeatGrid
{
    private static readonly GridSort<HeatEntry> s_byLocation = GridSort<HeatEntry>.ByAscending(e => e.File).ThenAscending(e => e.Line);
    private static readonly GridSort<HeatEntry> s_byCount = GridSort<HeatEntry>.ByAscending(e => e.Count);
    private static readonly GridSort<HeatEntry> s_byFirstSeen = GridSort<HeatEntry>.ByAscending(e => e.FirstSeen);
    private static readonly GridSort<HeatEntry> s_byLastSeen = GridSort<HeatEntry>.ByAscending(e => e.LastSeen);
    private static readonly GridSort<HeatEntry> s_byTracked = GridSort<HeatEntry>.ByAscending(e => e.Count).ThenAscending(e => e.TrackedSince);

    /// <summary>The rows.</summary>
    [Parameter]
    public IQueryable<HeatEntry> Items { get; set; } = Enumerable.Empty<HeatEntry>().AsQueryable();

    /// <summary>The bands of the app's counts.</summary>
    [Parameter]
    public BandScale Scale { get; set; } = BandScale.Empty;

    /// <summary>The moment "N days" counts to.</summary>
    [Parameter]
    public DateTimeOffset Now { get; set; }

    /// <summary>The page's connect session, when the page is a connect page: each row gets its checkout's commands.</summary>
    [CascadingParameter]
    public ConnectState? Connect { get; set; }

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "—";

    private string Status(HeatEntry entry)
    {
        if (entry.Count == 0)
        {
            var days = entry.DaysTracked(Now);
            return days == 1 ? "never called in 1 day" : $"never called in {days} days";
        }

        return entry.LastSeen is { } last ? $"called {Ago(Now - last)} ago" : "called";
    }

    private static string Ago(TimeSpan span) => span.TotalSeconds < 60
        ? $"{Math.Max(0, (int)span.TotalSeconds)} s"
        : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min" : span.TotalHours < 48 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalDays} days";
}
