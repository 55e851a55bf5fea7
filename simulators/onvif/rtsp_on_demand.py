#!/usr/bin/python3
# Many simulated cameras on one RTSP server (an NVR-like box), each mount's picture made only while
# someone watches: the demo's outdoor cameras, which would otherwise keep an encoder per camera busy.
#
# Every mount is a shared gst-rtsp-server media factory. The first client's DESCRIBE constructs the
# media; `media-configure` hands its udpsrc a loopback UDP socket bound here and starts that mount's
# ffmpeg (the picture: simulators/onvif/video.ts), which sends RTP to that socket. Further clients
# share the media. When the last client leaves (TEARDOWN, or its connection closes: stop-on-disconnect
# is the default) the media is unprepared, which stops the ffmpeg; nothing of the mount runs until the
# next client. OPTIONS (the hub's status check) constructs nothing.
#
# Usage: rtsp_on_demand.py <rtsp-port>, with on stdin
#   {"mounts": [{"path": "cam-x", "codec": "H264", "ffmpeg": [args…, "rtp://127.0.0.1:{port}?…"]}]}
# ("{port}" in the arguments becomes the bound UDP port). Prints "ready", then one JSON line per
# picture started or stopped: {"start": path, "pid": n} / {"stop": path, "pid": n, "status": s}.
# RTSP auth as rtsp_server.py (SIM_RTSP_AUTH, SIM_RTSP_USER, SIM_RTSP_PASS).
import json
import os
import shutil
import signal
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gio, GLib, Gst, GstRtspServer  # noqa: E402

from rtsp_server import die_with_parent, require_auth  # noqa: E402

# ffmpeg is killed with this process even if it is killed hard (prctl PDEATHSIG through setpriv;
# spawning happens on the main thread, which is the thread the signal is tied to).
SETPRIV = shutil.which('setpriv')
STOP_GRACE_MS = 2000


def emit(event: dict) -> None:
    print(json.dumps(event), flush=True)


class Picture:
    """One running ffmpeg of one media."""

    def __init__(self, path: str, argv: list):
        self.path = path
        self.stopping = False
        full = ([SETPRIV, '--pdeathsig', 'KILL', '--'] if SETPRIV else []) + argv
        flags = GLib.SpawnFlags.SEARCH_PATH | GLib.SpawnFlags.DO_NOT_REAP_CHILD | GLib.SpawnFlags.STDIN_FROM_DEV_NULL | GLib.SpawnFlags.STDOUT_TO_DEV_NULL
        self.pid = GLib.spawn_async(full, flags=flags)[0]
        GLib.child_watch_add(GLib.PRIORITY_DEFAULT, self.pid, self.exited)
        emit({'start': path, 'pid': int(self.pid)})

    def exited(self, pid, status) -> None:
        GLib.spawn_close_pid(pid)
        emit({'stop': self.path, 'pid': int(pid), 'status': status, 'asked': self.stopping})
        self.pid = None

    def stop(self) -> None:
        if self.pid is None or self.stopping:
            return
        self.stopping = True
        os.kill(self.pid, signal.SIGTERM)
        GLib.timeout_add(STOP_GRACE_MS, self.kill_hard)

    def kill_hard(self) -> bool:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
        return False


def launch(codec: str) -> str:
    enc = 'H265' if codec == 'H265' else 'H264'
    lower = enc.lower()
    return (
        f'( udpsrc name=src buffer-size=2097152 '
        f'caps="application/x-rtp,media=video,clock-rate=90000,encoding-name={enc},payload=96" '
        f'! rtp{lower}depay ! {lower}parse config-interval=-1 '
        f'! rtp{lower}pay name=pay0 pt=96 config-interval=1 )'
    )


class Mounts:
    def __init__(self, server):
        self.server = server
        self.pictures = set()
        pool = GstRtspServer.RTSPAddressPool()
        pool.add_range('127.0.0.1', '127.0.0.1', 20000, 60000, 0)
        self.pool = pool

    def add(self, spec: dict) -> None:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch(spec.get('codec', 'H264')))
        factory.set_shared(True)
        factory.set_address_pool(self.pool)
        require_auth(self.server, factory)
        factory.connect('media-configure', self.configure, spec)
        self.server.get_mount_points().add_factory('/' + spec['path'], factory)

    def configure(self, _factory, media, spec) -> None:
        # A socket bound now: ffmpeg's first packets (its first keyframe) are not lost to a port
        # that udpsrc has not bound yet, and no UDP port has to be planned per camera.
        sock = Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.DATAGRAM, Gio.SocketProtocol.UDP)
        sock.bind(Gio.InetSocketAddress.new_from_string('127.0.0.1', 0), False)
        port = sock.get_local_address().get_port()
        media.get_element().get_by_name('src').set_property('socket', sock)  # udpsrc closes it at NULL
        argv = [a.replace('{port}', str(port)) for a in spec['ffmpeg']]
        state = {'picture': None, 'gone': False}

        def start() -> bool:
            if not state['gone']:
                state['picture'] = Picture(spec['path'], argv)
                self.pictures.add(state['picture'])
            return False

        def stop() -> bool:
            state['gone'] = True
            if state['picture']:
                state['picture'].stop()
                self.pictures.discard(state['picture'])
            return False

        # Signals may come on gst-rtsp-server's threads; processes are managed on the main loop.
        GLib.idle_add(start)
        media.connect('unprepared', lambda _m: GLib.idle_add(stop))

    def stop_all(self) -> None:
        for p in list(self.pictures):
            if p.pid is not None:
                os.kill(p.pid, signal.SIGTERM)


def main() -> None:
    die_with_parent()
    port = sys.argv[1]
    spec = json.load(sys.stdin)
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(port)
    mounts = Mounts(server)
    for m in spec['mounts']:
        mounts.add(m)
    if server.attach(None) == 0:
        print(f'cannot listen on 127.0.0.1:{port}', file=sys.stderr, flush=True)
        sys.exit(2)
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print('ready', flush=True)
    loop.run()
    mounts.stop_all()


if __name__ == '__main__':
    main()
