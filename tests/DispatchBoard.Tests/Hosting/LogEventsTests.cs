using System.Reflection;
using System.Text.RegularExpressions;
using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Logging;

namespace DispatchBoard.Tests.Hosting;

public sealed partial class LogEventsTests
{
    private static readonly IReadOnlyList<(MethodInfo Method, LoggerMessageAttribute Attribute)> Events =
        typeof(LogEvents).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .Select(e => (e.Method, e.Attribute!))
            .ToList();

    [Fact]
    public void EveryEvent_HasItsOwnId()
    {
        Assert.NotEmpty(Events);
        var shared = Events.GroupBy(e => e.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method.Name))}").ToList();
        Assert.True(shared.Count == 0, "Event ids used more than once: " + string.Join("; ", shared));
    }

    [Fact]
    public void EveryWarningErrorAndCritical_HasAnIdAndAMessage()
    {
        var serious = Events.Where(e => e.Attribute.Level >= LogLevel.Warning && e.Attribute.Level != LogLevel.None).ToList();
        Assert.NotEmpty(serious);
        var lacking = serious.Where(e => e.Attribute.EventId <= 0 || string.IsNullOrWhiteSpace(e.Attribute.Message))
            .Select(e => e.Method.Name).ToList();
        Assert.True(lacking.Count == 0, "Without an event id or a message: " + string.Join(", ", lacking));
    }

    [Fact]
    public void AGeneratedEvent_CarriesItsId_ItsNamedProperties_AndTheException()
    {
        var logger = new CapturingLogger();
        var ex = new InvalidOperationException("hub gone");

        logger.CouldNotSendToHub(ex, "TicketChanged");

        var (level, id, properties, exception, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(1200, id.Id);
        Assert.Equal("TicketChanged", properties["Event"]);
        Assert.Equal("Could not send {Event} to hub clients", properties["{OriginalFormat}"]);
        Assert.Same(ex, exception);
        Assert.Equal("Could not send TicketChanged to hub clients", message);
    }

    [Fact]
    public void NoWarningErrorOrCriticalIsLoggedOutsideLogEvents()
    {
        var web = Path.Combine(RepositoryRoot(), "src", "DispatchBoard.Web");
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal)))
        {
            var relative = Path.GetRelativePath(web, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)
                || relative == "Hosting/LogEvents.cs")
            {
                continue;
            }
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal) && DirectCall().IsMatch(lines[i]))
                {
                    found.Add($"src/DispatchBoard.Web/{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }
        Assert.True(found.Count == 0,
            "Log warnings, errors and critical events through a LogEvents method (an event id and named properties), not directly:"
            + Environment.NewLine + string.Join(Environment.NewLine, found));
    }

    [GeneratedRegex(@"\bLog(Warning|Error|Critical)\s*\(|\.Log\(\s*LogLevel\.(Warning|Error|Critical)\b")]
    private static partial Regex DirectCall();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DispatchBoard.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The repository (DispatchBoard.sln) is not above the test's folder.");
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, EventId Id, Dictionary<string, object?> Properties, Exception? Exception, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            Entries.Add((logLevel, eventId, properties, exception, formatter(state, exception)));
        }
    }
}
