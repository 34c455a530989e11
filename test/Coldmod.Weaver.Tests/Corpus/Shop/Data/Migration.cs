using System.Collections.Generic;

namespace Shop.Data;

/// <summary>The shop's own minimal schema-migration framework.</summary>
public abstract class Migration
{
    public abstract string Id { get; }

    protected internal abstract void Up(MigrationBuilder builder);

    protected internal virtual void Down(MigrationBuilder builder)
    {
    }
}

public sealed class MigrationBuilder
{
    private readonly List<string> _statements = new();

    public IReadOnlyList<string> Statements => _statements;

    public MigrationBuilder Sql(string statement)
    {
        _statements.Add(statement);
        return this;
    }
}
