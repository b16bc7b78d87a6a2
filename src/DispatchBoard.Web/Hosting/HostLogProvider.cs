using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// Hangfire's log provider for one host. Hangfire logs through one process-wide provider, set by each host as it starts;
/// a process with several hosts in turn (the tests, two instances side by side) leaves it on a host that may be gone.
/// Hangfire's own provider asks that host's logger factory for a logger as each Hangfire type is made, which throws once
/// the factory is disposed: a later host's job server then fails as it starts. This one asks only when a message is
/// written, and drops the message when the factory is gone.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name) => new HostLog(factory, name);

    private sealed class HostLog(ILoggerFactory factory, string name) : ILog
    {
        private ILog? _log;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                _log ??= new AspNetCoreLogProvider(factory).GetLogger(name);
                return _log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
