#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the test guest, baked into the image. It mounts the 9p shares
# and hands over to the project's init script, so that changing the guest
# behaviour never needs a new image.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t 9p -o trans=virtio,version=9p2000.L,ro project /project
mount -t 9p -o trans=virtio,version=9p2000.L host /host
exec /bin/bash /project/scripts/guest-init.sh
