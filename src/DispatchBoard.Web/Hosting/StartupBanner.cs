using DispatchBoard.Web.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Hosting;

/// <summary>Tells whoever started the app where to open it and, for the demo, how to sign in.</summary>
public static class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
            var url = addresses.FirstOrDefault()?.Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal) ?? "(no address)";
            var lines = new List<string>
            {
                "",
                "  DispatchBoard is running",
                $"    Open:         {url}",
                $"    Report form:  {url}/report",
                $"    Board:        {url}/board   (office TV: {url}/board/tv; pair a TV at {url}/admin/displays)",
            };
            if (demo.Seed)
            {
                // The password is printed only on a developer's machine: a server's console and logs are read by others.
                lines.Add(app.Environment.IsDevelopment()
                    ? $"    Demo logins (password \"{demo.Password}\"):"
                    : "    Demo logins (the password set in Demo:Password):");
                lines.AddRange(DemoSeed.People.Select(p => $"      {p.Email,-28} {p.Role,-11} {p.Name}"));
            }
            lines.Add("");
            Console.WriteLine(string.Join(Environment.NewLine, lines));
        });
    }
}
