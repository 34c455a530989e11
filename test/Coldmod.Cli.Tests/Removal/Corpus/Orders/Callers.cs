using System;
using System.Collections.Generic;
using System.Linq;

namespace Shop.Orders;

public static class Callers
{
    private static readonly OrderService s_named = new OrderService("importer");

    public static int Run(OrderService service)
    {
        service.Cancel(1);
        service.Cancel("ada");
        if (service.Count > 0)
        {
            service.Cancel("grace"); service.Cancel("linus");
        }

        var picked = service.Pick(new[] { 1, 2, 3 }, i => i > 1);
        Func<decimal> group = () => service.Discount(3);
        Func<int, decimal> method = service.Discount;
        var sizes = new List<Order>().Select(OrderService.Weight).ToList();
        return picked + (int)group() + (int)method(2) + sizes.Count;
    }

    public static decimal Expression(OrderService service) => service.Discount(5);

    public static string Named => s_named.Name;
}
