using System.Diagnostics;
using Hangfire.Server;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// Counts every run of a scheduled job on this host's job server (<c>dispatchboard.jobs.runs</c>, by job and outcome)
/// and times it (<c>dispatchboard.jobs.duration</c>); each run is a span of its own too. A job is named by its
/// recurring id (<c>reminder-sweep</c>), else by its class and method.
/// </summary>
public sealed class JobMetricsFilter(DispatchMetrics metrics) : IServerFilter
{
    private const string StartedKey = "dispatchboard.started";
    private const string ActivityKey = "dispatchboard.activity";

    public void OnPerforming(PerformingContext context)
    {
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
        var activity = DispatchTracing.Source.StartActivity($"job {Name(context)}", ActivityKind.Internal);
        activity?.SetTag("dispatchboard.job", Name(context));
        context.Items[ActivityKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        var took = context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp
            ? Stopwatch.GetElapsedTime(timestamp) : TimeSpan.Zero;
        var failed = context.Exception is not null && !context.ExceptionHandled;
        metrics.JobRan(Name(context), !failed, took);
        if (context.Items.TryGetValue(ActivityKey, out var value) && value is Activity activity)
        {
            activity.SetStatus(failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok, context.Exception?.Message);
            activity.Dispose();
        }
    }

    private static string Name(PerformContext context) =>
        context.GetJobParameter<string>("RecurringJobId") is { Length: > 0 } recurring ? recurring
            : $"{context.BackgroundJob.Job.Type.Name}.{context.BackgroundJob.Job.Method.Name}";
}
