using System.Text.Json;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Telemed.Server.Infrastructure;

public static partial class ErrorHandling
{
    /// <summary>Every error, ours or the framework's, leaves as RFC 7807 problem details.</summary>
    public static IHostApplicationBuilder AddTelemedProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<RequestExceptionHandler>();
        // Surface body-binding failures as exceptions so the handler below can name the offending field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseTelemedProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    private sealed partial class RequestExceptionHandler(IProblemDetailsService problems, ILogger<RequestExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var problem = Describe(exception);
            if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "5";
            }
            else if (problem.Status >= 500)
            {
                // The exception type and stack only: messages can quote request data.
                LogUnhandled(logger, exception.GetType().FullName, exception.StackTrace);
            }
            context.Response.StatusCode = problem.Status ?? 500;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = problem,
                Exception = exception,
            });
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} at {StackTrace}")]
        private static partial void LogUnhandled(ILogger logger, string? exceptionType, string? stackTrace);

        private static ProblemDetails Describe(Exception exception) => exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request could not be read.",
                Detail = bad.Message.StartsWith("Required parameter", StringComparison.Ordinal)
                    ? "The request body is required and must be JSON."
                    : bad.Message,
            },
            ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict",
                Detail = "Someone else changed this record at the same moment. Reload it and try again.",
            },
            Payments.PaymentGatewayUnavailableException unavailable => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Payment service unavailable",
                Detail = unavailable.Message,
                Extensions = { ["retryable"] = true },
            },
            _ when DatabaseUnreachable(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "The database cannot be reached just now, so nothing was saved. Try again in a few seconds.",
                Extensions = { ["retryable"] = true },
            },
            _ when UniqueViolation(exception) is { } constraint => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict",
                Detail = $"Already registered ({constraint}).",
            },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong on our side.",
                Detail = "The error has been logged. Nothing you sent was partly saved; try again.",
            },
        };

        private static ValidationProblemDetails InvalidJson(JsonException json)
        {
            var field = FieldName(json.Path);
            return new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [field == "$" ? "The body is not valid JSON." : $"'{field}' has the wrong type or is not valid JSON."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid JSON.",
            };
        }

        /// <summary>"$.patient.mobile" → "patient.mobile", the way clients name fields.</summary>
        private static string FieldName(string? jsonPath) =>
            string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "$" : jsonPath.TrimStart('$', '.');

        private static string? UniqueViolation(Exception exception)
        {
            for (var inner = exception; inner is not null; inner = inner.InnerException)
            {
                if (inner is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres)
                {
                    return postgres.ConstraintName;
                }
            }
            return null;
        }

        /// <summary>
        /// PostgreSQL down or restarting: the connection is refused or cut (an I/O error under Npgsql's exception), or the
        /// server says it is shutting down or starting (57P01–57P03), or any connection-class error (08…).
        /// </summary>
        private static bool DatabaseUnreachable(Exception exception)
        {
            for (var inner = exception; inner is not null; inner = inner.InnerException)
            {
                switch (inner)
                {
                    case PostgresException postgres:
                        return postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);
                    case NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException }:
                        return true;
                }
            }
            return false;
        }
    }
}
