#!/usr/bin/python3
# One simulated camera's RTSP server (Debian's gst-rtsp-server through PyGObject).
# The picture is encoded by an ffmpeg process (simulators/onvif/video.ts) that sends H.264 as RTP
# to a loopback UDP port; this server re-packetises it for every RTSP client, over TCP
# interleaved or UDP. One shared media per camera, so all clients see the same frames.
# Usage: rtsp_server.py <rtsp-port> <mount> <udp-port> <H264|H265>
# RTSP auth (optional, from the environment so the password is not on the command line):
# SIM_RTSP_AUTH=basic|digest, SIM_RTSP_USER, SIM_RTSP_PASS.
import os
import signal
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
gi.require_version('GstRtsp', '1.0')
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def die_with_parent() -> None:
    # If the node process that started us is killed hard, do not linger holding the port.
    try:
        import ctypes
        ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def require_auth(server, factory) -> None:
    method = os.environ.get('SIM_RTSP_AUTH', '')
    if method not in ('basic', 'digest'):
        return
    user, password = os.environ.get('SIM_RTSP_USER', ''), os.environ.get('SIM_RTSP_PASS', '')
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string('media.factory.role', 'viewer')
    if method == 'digest':
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        auth.add_digest(user, password, token)
    else:
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
    # Only the authenticated role may see and play the mount; anonymous requests get 401.
    factory.add_role_from_structure(Gst.Structure.new_from_string(
        'viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true'))


def main() -> None:
    die_with_parent()
    port, mount, udp_port, codec = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    Gst.init(None)
    enc = 'H265' if codec == 'H265' else 'H264'
    lower = enc.lower()
    launch = (
        f'( udpsrc address=127.0.0.1 port={udp_port} buffer-size=2097152 '
        f'caps="application/x-rtp,media=video,clock-rate=90000,encoding-name={enc},payload=96" '
        f'! rtp{lower}depay ! {lower}parse config-interval=-1 '
        f'! rtp{lower}pay name=pay0 pt=96 config-interval=1 )'
    )
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    # RTP/RTCP over UDP to a client: the server's sockets bind loopback too, not 0.0.0.0 / :: (issue 11).
    pool = GstRtspServer.RTSPAddressPool()
    pool.add_range('127.0.0.1', '127.0.0.1', 20000, 60000, 0)
    factory.set_address_pool(pool)
    # The default lower transports (UDP, UDP multicast, TCP interleaved) stay: clients choose.
    require_auth(server, factory)
    server.get_mount_points().add_factory('/' + mount, factory)
    if server.attach(None) == 0:
        print(f'cannot listen on 127.0.0.1:{port}', file=sys.stderr, flush=True)
        sys.exit(2)
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print('ready', flush=True)
    loop.run()


if __name__ == '__main__':
    main()
