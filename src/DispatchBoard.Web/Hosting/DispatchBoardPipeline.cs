using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Components;
using DispatchBoard.Web.Displays;
using DispatchBoard.Web.Escalations;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Languages;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Planning;
using DispatchBoard.Web.Push;
using DispatchBoard.Web.Reports;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.ReporterMail;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Hangfire;
using Hangfire.Dashboard;

namespace DispatchBoard.Web.Hosting;

public static class DispatchBoardPipeline
{
    public static WebApplication MapDispatchBoard(this WebApplication app)
    {
        // First the real client (from trusted proxies) and HSTS; then the headers, set as any response starts, error
        // pages and 404s included.
        app.UseTransport();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

        app.UseAuthentication();
        app.UseRequestLocalization();
        app.UseCrossSiteRequestGuard();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.UseSharedAssets();
        app.MapStaticAssets();
        app.MapDispatchHealth();
        app.MapLanguageEndpoints();
        app.MapAuthEndpoints();
        app.MapAccountEndpoints();
        app.MapAreaEndpoints();
        app.MapTicketEndpoints();
        app.MapDuplicateEndpoints();
        app.MapReporterMailEndpoints();
        app.MapStaffEndpoints();
        app.MapStaffAdminEndpoints();
        app.MapDisplayEndpoints();
        app.MapAreaAdminEndpoints();
        app.MapCalendarAdminEndpoints();
        app.MapEscalationEndpoints();
        app.MapNotificationEndpoints();
        app.MapPushEndpoints();
        app.MapPhotoEndpoints();
        app.MapMeetingEndpoints();
        app.MapInspectionEndpoints();
        app.MapReportEndpoints();
        app.MapPlanningEndpoints();
        app.MapAuditEndpoints();
        app.MapHub<DispatchHub>(DispatchHub.Path);
        app.MapApiDocs();
        app.MapDispatchMetrics();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new AdminOnlyDashboardFilter()],
            AppPath = "/",
            DashboardTitle = "DispatchBoard jobs",
        }).RequireAuthorization(Policies.Admin).WithSecurityHeadersPolicy(SecurityHeaders.HangfirePolicy);

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        // Uptime counts from here.
        app.Services.GetRequiredService<Operations.ProcessStart>();
        StartupBanner.PrintWhenStarted(app);
        return app;
    }

    /// <summary>
    /// Serves /wwwroot-assets (logo, icons, alert sound, manifest, service worker, offline page), which the build copies next to the app. They are
    /// kept outside the project's wwwroot so designers and other tools find them in one place.
    /// </summary>
    private static void UseSharedAssets(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"The shared assets folder {folder} is missing; rebuild the app.");
        }
        var types = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
        types.Mappings[".webmanifest"] = "application/manifest+json";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(folder),
            ContentTypeProvider = types,
            // The service worker and the manifest are checked on every visit: a fix to either reaches installed phones
            // at once instead of an hour later.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl =
                ctx.Context.Request.Path.Value is "/sw.js" or "/manifest.webmanifest" ? "no-cache" : "public, max-age=3600",
        });
    }

    /// <summary>The endpoint policy already requires Admin; the dashboard checks again in case it is mapped elsewhere.</summary>
    private sealed class AdminOnlyDashboardFilter : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context) =>
            Task.FromResult(context.GetHttpContext().User.IsInRole(Roles.Admin));
    }
}
