namespace TodoApi.Todos;

// The endpoints of one feature, grouped under a prefix: lambdas and method groups alike.
public static class TodoApi
{
    public static IEndpointRouteBuilder MapTodos(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/todos");
        group.WithTags("Todos");

        group.MapGet("/", (TodoStore store) => store.All());
        group.MapGet("/{id}", (int id, TodoStore store) => store.Find(id) is { } todo ? Results.Ok(todo) : Results.NotFound());
        group.MapPost("/", Create);
        group.MapDelete("/{id}", async (int id, TodoStore store) =>
        {
            await Task.Yield();
            return store.Remove(id) ? Results.NoContent() : Results.NotFound();
        });
        group.MapPut("/{id}/done", MarkDone);
        return routes;
    }

    public static IResult Create(NewTodo request, TodoStore store)
    {
        var todo = store.Add(request.Title);
        return Results.Created($"/todos/{todo.Id}", todo);
    }

    public static IResult MarkDone(int id, TodoStore store) => store.MarkDone(id) ? Results.NoContent() : Results.NotFound();
}
