"""Docker-free bundling of the Lambda packages.

There is no Docker daemon on our machines (or on many laptops), so the default CDK
bundling cannot run. ``PipLocalBundling`` copies the ``valine`` package and installs the
pinned requirements as binary wheels for the Lambda platform: CPython 3.12 on
manylinux2014_x86_64. PyNaCl, cffi and tree-sitter ship compiled code, so the platform
must match the function's runtime and architecture exactly; see ``LAMBDA_PLATFORM``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

ROOT = Path(__file__).resolve().parent.parent
LAMBDAS = ROOT / "lambdas"
PACKAGE = LAMBDAS / "valine"
REQUIREMENTS = LAMBDAS / "requirements"

LAMBDA_RUNTIME = lambda_.Runtime.PYTHON_3_12
LAMBDA_ARCHITECTURE = lambda_.Architecture.X86_64
LAMBDA_PYTHON_VERSION = "3.12"
LAMBDA_PLATFORM = "manylinux2014_x86_64"

_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache")


def requirements_file(bundle: str) -> Path:
    return REQUIREMENTS / f"{bundle}.txt"


def pip_install_command(bundle: str, target: Path) -> list[str]:
    return [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-compile", "--no-deps",  # the file pins the full transitive set for the platform
        "--platform", LAMBDA_PLATFORM, "--implementation", "cp",
        "--python-version", LAMBDA_PYTHON_VERSION, "--only-binary=:all:",
        "--target", str(target), "-r", str(requirements_file(bundle)),
    ]


def build(bundle: str, output_dir: Path) -> None:
    """Write the Lambda package for ``bundle`` (interactions or worker) into output_dir."""
    output_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PACKAGE, output_dir / "valine", ignore=_IGNORED, dirs_exist_ok=True)
    # pip's own chatter (index warnings) would bury cdk's output; show it only on failure.
    result = subprocess.run(pip_install_command(bundle, output_dir), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"bundling {bundle} failed:\n{result.stdout}\n{result.stderr}")
    # Wheels carry tests, caches and console scripts Lambda never uses.
    for junk in ("bin",):
        shutil.rmtree(output_dir / junk, ignore_errors=True)
    for cache in output_dir.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def fingerprint(bundle: str) -> str:
    """Hash of everything that shapes the bundle, so CDK re-bundles exactly when needed."""
    digest = hashlib.sha256(f"{bundle}|{LAMBDA_PLATFORM}|{LAMBDA_PYTHON_VERSION}".encode())
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in [*files, requirements_file(bundle)]:
        digest.update(str(path.relative_to(LAMBDAS)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@jsii.implements(ILocalBundling)
class PipLocalBundling:
    def __init__(self, bundle: str) -> None:
        self._bundle = bundle

    def try_bundle(self, output_dir: str, *args: object) -> bool:  # CDK passes options positionally
        build(self._bundle, Path(output_dir))
        return True


def lambda_code(bundle: str, *, skip_bundling: bool = False) -> lambda_.Code:
    """Asset code for one bundle; tests skip bundling via the aws:cdk:bundling-stacks context."""
    if not requirements_file(bundle).exists():
        raise ValueError(f"no requirements for bundle {bundle!r} in {REQUIREMENTS}")
    return lambda_.Code.from_asset(
        str(LAMBDAS),
        asset_hash=fingerprint(bundle),
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(
            # Never pulled: local bundling always succeeds, but CDK requires an image.
            image=DockerImage.from_registry("public.ecr.aws/sam/build-python3.12"),
            # jsii passes the options as one positional object, not the keywords the stub declares.
            local=PipLocalBundling(bundle),  # type: ignore[arg-type]
        ),
    )
