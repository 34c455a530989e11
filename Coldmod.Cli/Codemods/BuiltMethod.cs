namespace Coldmod.Cli.Codemods;

// A method to remove, as the build knows it: where its lines are, what declaration to expect there, and why removing
// it could change what the program does (an override, an interface implementation, a name an attribute holds).
internal sealed record BuiltMethod(
    string Key,
    string AssemblyName,
    string DeclaringType,
    string DocumentationId,
    MemberKind Kind,
    string Name,
    bool IsExplicitImplementation,
    int ParameterCount,
    int GenericArity,
    IReadOnlyList<SourcePoint> Points,
    IReadOnlyList<string> Concerns);
