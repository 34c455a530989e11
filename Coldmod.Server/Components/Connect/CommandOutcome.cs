namespace Coldmod.Server.Components.Connect;

/// <summary>What a command sent to the connected CLI came to.</summary>
/// <param name="What">The command, as the page described it.</param>
/// <param name="Ok">True when the CLI carried it out.</param>
/// <param name="Text">The CLI's summary when it did; its refusal, verbatim, or why it never answered, when not.</param>
public sealed record CommandOutcome(string What, bool Ok, string Text);
