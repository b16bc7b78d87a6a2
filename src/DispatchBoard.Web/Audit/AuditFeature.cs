namespace DispatchBoard.Web.Audit;

public static class AuditFeature
{
    /// <summary>The audit log of admin and security events: written by the features that change things, read at /admin/audit.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditLog>();
        return services;
    }
}
