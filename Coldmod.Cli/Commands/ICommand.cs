namespace Coldmod.Cli.Commands;

internal interface ICommand<in TOptions>
{
    public int Execute(TOptions options);
}
