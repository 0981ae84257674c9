using System.Globalization;
using DeviceHost.Calibration;
using DeviceHost.Reports;
using EdgeRuntime;

namespace DeviceHost.Api;

/// <summary>Head history, manual activation, rollback and the calibration report.</summary>
public static class HeadEndpoints
{
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/heads", (CalibrationService calibration) =>
        {
            var registry = calibration.Workspace.Registry;
            var active = registry.ActiveVersion;
            return Results.Json(new
            {
                active,
                rollbackTarget = registry.RollbackTarget,
                items = registry.List().OrderByDescending(v => v.Version).Select(v => HeadSummary.From(v.Manifest, active)),
            });
        });
        app.MapGet("/heads/{version:int}", (int version, CalibrationService calibration) =>
            Find(calibration, version) is { } found ? Results.Json(found.Manifest) : ApiProblems.NotFound(Missing(version)));
        app.MapGet("/heads/{version:int}/report", (int version, CalibrationService calibration) =>
        {
            var registry = calibration.Workspace.Registry;
            if (Find(calibration, version) is not { } found)
            {
                return ApiProblems.NotFound(Missing(version));
            }

            var parent = found.Manifest.ParentVersion is int p && registry.List().Any(v => v.Version == p) ? registry.Get(p).Manifest : null;
            var html = CalibrationReport.Render(found.Manifest, parent, calibration.Workspace.Store.GetClassCounts(), registry.ActiveVersion);
            return Results.Content(html, "text/html; charset=utf-8");
        });
        var mutating = app.MapGroup("").AddEndpointFilter<RequireTokenFilter>();
        mutating.MapPost("/heads/{version:int}/activate", (int version, CalibrationService calibration) =>
        {
            var workspace = calibration.Workspace;
            if (Find(calibration, version) is not { } found)
            {
                return ApiProblems.NotFound(Missing(version));
            }

            if (found.Manifest.BackboneHash != workspace.Engine.BackboneHash)
            {
                return ApiProblems.Conflict($"Head v{version} was trained for another backbone; it cannot run on this one.");
            }

            workspace.Registry.Load(version);
            var record = workspace.Registry.Activate(version, "activated by a technician over the API", forced: true);
            calibration.ReloadActiveHead();
            return Results.Json(record);
        });
        mutating.MapPost("/heads/rollback", (CalibrationService calibration) =>
        {
            try
            {
                var record = calibration.Workspace.Registry.Rollback("rolled back by a technician over the API");
                calibration.ReloadActiveHead();
                return Results.Json(record);
            }
            catch (EdgeRuntimeException ex)
            {
                return ApiProblems.Conflict(ex.Message);
            }
        });
    }

    private static EdgeRuntime.Heads.HeadVersion? Find(CalibrationService calibration, int version) =>
        calibration.Workspace.Registry.List().FirstOrDefault(v => v.Version == version);

    private static string Missing(int version) => string.Create(CultureInfo.InvariantCulture, $"There is no head v{version}.");
}
