using System.IO.Pipelines;
using System.Text;
using KubeWeb.Agent.Streams;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Runtime.Containerd;

public sealed partial class ContainerdRuntime : IImageImports
{
    /// <summary>Spools the uploaded archive to DATA_DIR/image-uploads, then imports it with <see cref="ImageImporter"/>.</summary>
    public Task<IContainerProcess> ImportImageAsync(ImageImportRequest request, CancellationToken ct)
    {
        var dir = Path.Combine(_options.DataDir, "image-uploads");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"{Guid.NewGuid():N}.tar");
        return Task.FromResult<IContainerProcess>(new ArchiveImport(file, request, _cri.SocketPath, _stopping.Token));
    }

    /// <summary>The import as a process: stdin is the archive, closing it runs <c>ctr images import</c>.</summary>
    private sealed class ArchiveImport : IContainerProcess
    {
        private readonly string _file;
        private readonly ImageImportRequest _request;
        private readonly string _socket;
        private readonly CancellationToken _stopping;
        private readonly Pipe _output = new();
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _abandoned;

        public ArchiveImport(string file, ImageImportRequest request, string socket, CancellationToken stopping)
        {
            _file = file;
            _request = request;
            _socket = socket;
            _stopping = stopping;
            Stdin = new SpoolStream(new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true), RunAsync);
            Stdout = _output.Reader.AsStream();
        }

        public Stream? Stdin { get; }

        public Stream? Stdout { get; }

        public Stream? Stderr => null;

        public Task<int> Exited => _exited.Task;

        public void Resize(int width, int height)
        {
        }

        private async Task RunAsync()
        {
            if (_abandoned)
            {
                return;
            }

            int code;
            string text;
            try
            {
                text = await ImageImporter.ImportAsync(_socket, _file, _request.BaseName, _stopping);
                code = 0;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                text = e.Message.Replace(_file, _request.FileName, StringComparison.Ordinal) + "\n";
                code = 1;
            }
            finally
            {
                File.Delete(_file);
            }

            await _output.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));
            await _output.Writer.CompleteAsync();
            _exited.TrySetResult(code);
        }

        public async ValueTask DisposeAsync()
        {
            _abandoned = !_exited.Task.IsCompleted;
            await Stdin!.DisposeAsync();
            if (!_exited.Task.IsCompleted)
            {
                // The upload was cancelled before it ended: nothing to import.
                _exited.TrySetResult(1);
                await _output.Writer.CompleteAsync();
            }

            File.Delete(_file);
        }
    }

    /// <summary>Writes to the spool file; the first dispose closes it and starts the import.</summary>
    private sealed class SpoolStream(FileStream file, Func<Task> closed) : Stream
    {
        private int _disposed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => file.Length;

        public override long Position { get => file.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => file.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => file.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => file.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                file.Dispose();
                _ = Task.Run(closed);
            }

            base.Dispose(disposing);
        }
    }
}
