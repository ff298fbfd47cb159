using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Telemed.Server.Infrastructure;

/// <summary>Stream versions over HTTP: the ETag a reply carries and the If-Match a change sends back, so lost updates are refused.</summary>
public static class StreamVersions
{
    public const long Invalid = -1;

    /// <summary>The stream version the client last saw (If-Match: "12"), null when absent, <see cref="Invalid"/> when unreadable.</summary>
    public static long? IfMatch(HttpContext http)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }
        return long.TryParse(header.Trim().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : Invalid;
    }

    public static void SetETag(HttpContext http, long version) =>
        http.Response.Headers[HeaderNames.ETag] = $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
