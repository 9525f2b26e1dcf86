using System.Diagnostics;

namespace CloudTemple.Networking.Sqlite.Tests.Processes;

/// <summary>A CloudTemple.Networking.Sqlite.Worker process: its printed lines are collected as they come.</summary>
public sealed class Worker : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _errors = new();

    private Worker(Process process) => _process = process;

    /// <summary>The worker's assembly, built beside the tests by the project reference.</summary>
    public static string AssemblyPath
    {
        get
        {
            string testDirectory = AppContext.BaseDirectory;
            string path = Path.Combine(
                testDirectory.Replace("CloudTemple.Networking.Sqlite.Tests", "CloudTemple.Networking.Sqlite.Worker", StringComparison.Ordinal),
                "CloudTemple.Networking.Sqlite.Worker.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build CloudTemple.Networking.Sqlite.Worker first.", path);
        }
    }

    public int Id => _process.Id;

    public static Worker Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(AssemblyPath);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var worker = new Worker(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                worker._outputClosed.TrySetResult();
                return;
            }

            lock (worker._gate)
            {
                worker._lines.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (worker._gate)
            {
                worker._errors.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_gate)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Waits for the exit and the end of the output; returns the exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        await _outputClosed.Task.WaitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until the worker has printed at least <paramref name="count"/> lines.</summary>
    public async Task WaitForLinesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Lines.Count < count)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The worker printed {Lines.Count} lines, not {count}; stderr: {Errors}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
