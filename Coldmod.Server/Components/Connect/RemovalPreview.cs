namespace Coldmod.Server.Components.Connect;

/// <summary>A removal the CLI previewed (its dry run), waiting for the user to confirm it.</summary>
/// <param name="Keys">The keys to remove.</param>
/// <param name="Diff">What the removal would change in the checkout.</param>
public sealed record RemovalPreview(IReadOnlyList<string> Keys, string Diff);
