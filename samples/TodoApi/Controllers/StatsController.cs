using Microsoft.AspNetCore.Mvc;
using TodoApi.Todos;

namespace TodoApi.Controllers;

[ApiController]
[Route("api/[controller]")]
public sealed class StatsController(TodoStore store) : ControllerBase
{
    [HttpGet("count")]
    public int Count() => store.Count;

    [HttpGet("oldest")]
    public ActionResult<Todo> Oldest() => store.All() is [var first, ..] ? first : NotFound();
}
