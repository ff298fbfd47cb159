using System.Diagnostics;
using System.Net.Sockets;
using MimeKit;

namespace Telemed.Server.Tests.Support;

/// <summary>
/// A real SMTP server on a loopback port: Debian's aiosmtpd (python3-aiosmtpd, installed by test.sh) with its Mailbox
/// handler, which files every message it accepts in a Maildir the test reads back.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string maildir;

    private SmtpServer(Process process, string maildir, int port)
    {
        this.process = process;
        this.maildir = maildir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpServer> Start()
    {
        var port = ServerProcess.FreePort();
        var maildir = Path.Combine(Path.GetTempPath(), $"telemed-maildir-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var server = new SmtpServer(Process.Start(start)!, maildir, port);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (!server.process.HasExited)
            {
                await Task.Delay(100);
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("aiosmtpd did not start listening (is python3-aiosmtpd installed? ./test.sh installs it).");
    }

    /// <summary>Every message the server accepted, parsed.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var delivered = Path.Combine(maildir, "new");
        return Directory.Exists(delivered)
            ? [.. Directory.GetFiles(delivered).Select(file => MimeMessage.Load(file))]
            : [];
    }

    /// <summary>The first message to an address (with this subject, when given).</summary>
    public Task<MimeMessage> To(string address, string? subject = null) =>
        Api.Eventually(() => Task.FromResult(Messages().FirstOrDefault(m => m.To.Mailboxes.Any(to => to.Address == address) && (subject is null || m.Subject == subject))));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
        await process.WaitForExitAsync();
        process.Dispose();
        if (Directory.Exists(maildir))
        {
            Directory.Delete(maildir, recursive: true);
        }
    }
}
