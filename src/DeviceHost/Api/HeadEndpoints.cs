using System.Globalization;
using DeviceHost.Calibration;
using DeviceHost.Reports;
using EdgeRuntime;
using EdgeRuntime.Calibration;

namespace DeviceHost.Api;

/// <summary>Head history, manual activation, rollback and the calibration report.</summary>
public static class HeadEndpoints
{
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/heads", (CalibrationService calibration) =>
        {
            var workspace = calibration.Workspace;
            var active = workspace.ActiveVersion;
            return Results.Json(new HeadList(active, workspace.RollbackTarget,
                [.. workspace.ListHeads().OrderByDescending(v => v.Version).Select(v => HeadSummary.From(v.Manifest, active))]));
        });
        app.MapGet("/heads/{version:int}", (int version, CalibrationService calibration) =>
            Find(calibration, version) is { } found ? Results.Json(found.Manifest) : ApiProblems.NotFound(Missing(version)));
        app.MapGet("/heads/{version:int}/report", (int version, CalibrationService calibration) =>
        {
            var workspace = calibration.Workspace;
            if (Find(calibration, version) is not { } found)
            {
                return ApiProblems.NotFound(Missing(version));
            }

            var parent = found.Manifest.ParentVersion is int p ? workspace.FindHead(p)?.Manifest : null;
            var html = CalibrationReport.Render(found.Manifest, parent, workspace.ClassCounts(), workspace.ActiveVersion);
            return Results.Content(html, "text/html; charset=utf-8");
        });
        var mutating = app.MapGroup("").AddEndpointFilter<RequireTokenFilter>();
        mutating.MapPost("/heads/{version:int}/activate", (int version, CalibrationService calibration) =>
        {
            if (Find(calibration, version) is null)
            {
                return ApiProblems.NotFound(Missing(version));
            }

            try
            {
                return Results.Json(calibration.Activate(version, "activated by a technician over the API"));
            }
            catch (HeadBackboneMismatchException ex)
            {
                return ApiProblems.Conflict(ex.Message);
            }
        });
        mutating.MapPost("/heads/rollback", (CalibrationService calibration) =>
        {
            try
            {
                return Results.Json(calibration.Rollback("rolled back by a technician over the API"));
            }
            catch (EdgeRuntimeException ex) when (ex.Fault is FaultKind.InvalidInput or FaultKind.Conflict)
            {
                return ApiProblems.Conflict(ex.Message);
            }
        });
    }

    private static EdgeRuntime.Heads.HeadVersion? Find(CalibrationService calibration, int version) =>
        calibration.Workspace.FindHead(version);

    private static string Missing(int version) => string.Create(CultureInfo.InvariantCulture, $"There is no head v{version}.");
}
