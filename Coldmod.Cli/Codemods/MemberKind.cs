namespace Coldmod.Cli.Codemods;

// What kind of declaration a method's metadata says to look for in source.
internal enum MemberKind
{
    Method,
    Constructor,
    StaticConstructor,
    Finalizer,
    Operator,
    Conversion,
    Getter,
    Setter,
    Adder,
    Remover,
}
