using DispatchBoard.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddDispatchBoard();
var app = builder.Build();
app.MapDispatchBoard();
app.Run();

public partial class Program;
