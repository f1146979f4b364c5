# gpu: the DRM render and card nodes, for OpenGL and Vulkan. Skipped on a
# machine without them. The GPU driver is a large attack surface; leave this
# block out for applications that draw fine in software.
dev-bind-try /dev/dri
