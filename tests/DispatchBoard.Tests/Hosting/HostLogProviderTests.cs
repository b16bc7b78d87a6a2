using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Logging;

namespace DispatchBoard.Tests.Hosting;

public sealed class HostLogProviderTests
{
    [Fact]
    public void ALoggerMadeWhileItsHostLives_WritesToIt_AndAfterTheHostIsGone_DropsMessagesInsteadOfThrowing()
    {
        var written = new List<string>();
        var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListProvider(written)));
        var provider = new HostLogProvider(factory);
        var early = provider.GetLogger("Hangfire.Server.Worker");

        Assert.True(early.Log(Hangfire.Logging.LogLevel.Info, () => "worker started"));
        factory.Dispose();
        // Made after the host's factory was disposed (Hangfire's own provider throws here), then used.
        var late = provider.GetLogger("Hangfire.Server.ServerHeartbeatProcess");
        var ex = Record.Exception(() => late.Log(Hangfire.Logging.LogLevel.Warn, () => "heartbeat"));

        Assert.Null(ex);
        Assert.False(late.Log(Hangfire.Logging.LogLevel.Warn, () => "heartbeat"));
        Assert.Equal(["Hangfire.Server.Worker: worker started"], written);
        Assert.Throws<ObjectDisposedException>(() => new Hangfire.AspNetCore.AspNetCoreLogProvider(factory).GetLogger("x"));
    }

    private sealed class ListProvider(List<string> written) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, written);

        public void Dispose()
        {
        }

        private sealed class ListLogger(string category, List<string> written) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => written.Add($"{category}: {formatter(state, exception)}");
        }
    }
}
