using System;
using Shop.Orders;

namespace Shop.Ui;

/// <summary>
/// A form in the style of a designer-backed UI: the designer half lives in MainForm.Designer.cs, which
/// [ignore] files excludes, while this half is traced.
/// </summary>
public partial class MainForm : FormBase
{
    private readonly OrderService _orders;

    public MainForm(OrderService orders)
    {
        _orders = orders;
        InitializeComponent();
    }

    public int OrderCount => _orders.Count;

    private void OnPlaceClicked(object? sender, EventArgs e)
    {
        _orders.Place("walk-in");
        Text = $"Shop ({_orders.Count})";
    }
}

public abstract class FormBase : IDisposable
{
    public string Text { get; set; } = "Form";

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
