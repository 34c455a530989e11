using TodoApi;
using TodoApi.Todos;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton<TodoStore>();
builder.Services.AddHostedService<Janitor>();

var app = builder.Build();
app.MapGet("/", () => "Todo API");
app.MapTodos();
app.MapControllers();
app.Run();
