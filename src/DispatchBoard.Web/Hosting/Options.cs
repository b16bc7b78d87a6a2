using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Hosting;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Fill an empty database with a demo school, its users and a few tickets.</summary>
    public bool Seed { get; set; }

    /// <summary>Give the demo staff a duty roster (standby in working hours, an on-call rotation); on in Development.</summary>
    public bool Roster { get; set; }

    /// <summary>Password of every demo user; required in Production when <see cref="Seed"/> is on.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The language of the demo school's names (areas, people, tickets): <c>zh-Hans</c> seeds 教学楼A, 王磊 … with the same
    /// codes and e-mail addresses. English when empty.
    /// </summary>
    public string? Culture { get; set; }
}

/// <summary>Creates the first administrator of an empty database (a real school's first start).</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    [EmailAddress]
    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }
}

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Run the Hangfire server and register the recurring jobs. Off only where something else runs the clock (the
    /// integration tests call the job classes themselves); the job storage and the dashboard stay either way.
    /// </summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 50)]
    public int WorkerCount { get; set; } = 2;
}
