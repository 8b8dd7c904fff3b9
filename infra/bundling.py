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

# What the Lambda Python 3.12 runtime provides itself, pinned to the versions we test with;
# checks that import a bundle "as Lambda would" install these beside it.
RUNTIME_PROVIDED = ["boto3==1.44.8", "botocore==1.44.8", "s3transfer==0.19.3", "jmespath==1.1.0",
                    "python-dateutil==2.9.0.post0", "six==1.17.0", "urllib3==2.8.0"]


def requirements_file(bundle: str) -> Path:
    return REQUIREMENTS / f"{bundle}.txt"


def pip_install_command(target: Path, *requirements: str) -> list[str]:
    """pip for the Lambda platform; ``--no-deps`` because every pin list is the full transitive set."""
    return [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-compile", "--no-deps",
        "--platform", LAMBDA_PLATFORM, "--implementation", "cp",
        "--python-version", LAMBDA_PYTHON_VERSION, "--only-binary=:all:",
        "--target", str(target), *requirements,
    ]


def build(bundle: str, output_dir: Path) -> None:
    """Write the Lambda package for ``bundle`` (interactions or worker) into output_dir."""
    output_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PACKAGE, output_dir / "valine", ignore=_IGNORED, dirs_exist_ok=True)
    # pip's own chatter (index warnings) would bury cdk's output; show it only on failure.
    result = subprocess.run(pip_install_command(output_dir, "-r", str(requirements_file(bundle))),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"bundling {bundle} failed:\n{result.stdout}\n{result.stderr}")
    # Wheels carry tests, caches and console scripts Lambda never uses.
    for junk in ("bin",):
        shutil.rmtree(output_dir / junk, ignore_errors=True)
    for cache in output_dir.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def install_runtime_provided(target: Path) -> None:
    """Install what the Lambda runtime provides (boto3) for the Lambda platform into target."""
    result = subprocess.run(pip_install_command(target, *RUNTIME_PROVIDED), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"installing the runtime's boto3 failed:\n{result.stderr}")


def lambda_python() -> str | None:
    """A local CPython 3.12, the Lambda runtime's version (pyenv installs it on our machines)."""
    candidates = [shutil.which("python3.12") or "",
                  *sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.12*/bin/python3.12"))]
    for cand in candidates:
        if cand and subprocess.run([cand, "-c", "import sys; assert sys.version_info[:2] == (3, 12)"],
                                   capture_output=True).returncode == 0:
            return cand
    return None


def zipped_size(path: Path) -> int:
    """Bytes of ``path`` zipped as Lambda receives it."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "asset.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(path.rglob("*")):
                if file.is_file():
                    zf.write(file, file.relative_to(path))
        return archive.stat().st_size


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
