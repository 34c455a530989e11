namespace Coldmod.Cli.Codemods;

// An instruction that names a removed method, at the source line its sequence point gives; Point is null when the
// calling method has no source lines (generated code), so the reference can be reported but not marked.
internal sealed record BuiltReference(string Key, string AssemblyPath, string Caller, SourcePoint? Point);
