using Shop.Data;

namespace Shop.Migrations;

/// <summary>A generated migration: [ignore] files excludes the whole folder.</summary>
public sealed class InitialCreate : Migration
{
    public override string Id => "20240101120000_InitialCreate";

    protected internal override void Up(MigrationBuilder builder)
    {
        builder.Sql("CREATE TABLE Orders (Id INTEGER PRIMARY KEY, Customer TEXT NOT NULL)");
        builder.Sql("CREATE TABLE OrderLines (OrderId INTEGER, Sku TEXT, Quantity INTEGER, UnitPrice TEXT)");
    }

    protected internal override void Down(MigrationBuilder builder)
    {
        builder.Sql("DROP TABLE OrderLines");
        builder.Sql("DROP TABLE Orders");
    }
}
