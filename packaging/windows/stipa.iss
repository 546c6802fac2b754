; Inno Setup 6 script for the frozen Windows build of Stipa. UNTESTED: no Windows machine here
; (see packaging/README.md). On Windows, after `pyinstaller packaging\stipa.spec` has written
; dist\stipa\ (stipa.exe, stipaw.exe and the icon rendered into build\pyinstaller\icons\):
;
;     iscc /DAppVersion=0.1.0 packaging\windows\stipa.iss
;
; writes dist\stipa-0.1.0-setup.exe. It installs per user by default (no administrator
; rights; the dialog offers all users), adds a Start-menu entry, associates .stipa files
; (ProgID Stipa.Document) and creates an empty, user-writable plugins\ folder where in-house
; plugins are installed with `pip install --no-deps --target`.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Stipa"
#define AppExe "stipaw.exe"
#define ProgId "Stipa.Document"
; Paths are relative to this script's folder: the repository is two levels up.
#define Top "..\.."
#define Dist Top + "\dist\stipa"
#define Icon Top + "\build\pyinstaller\icons\stipa.ico"

[Setup]
; AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{6F0B7C52-3E1D-4C41-9D59-2B7A5C0E9A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The Stipa authors
AppComments=System-theoretic safety analysis (STPA) of sociotechnical systems
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
LicenseFile={#Top}\LICENSE
SetupIconFile={#Icon}
UninstallDisplayIcon={app}\{#AppExe}
OutputDir={#Top}\dist
OutputBaseFilename=stipa-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "associate"; Description: "Open .stipa files with {#AppName}"; GroupDescription: "File types:"

[Dirs]
Name: "{app}\plugins"; Permissions: users-modify

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; stipaw.exe is the windowed twin of stipa.exe (which keeps a console for the command line).
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Parameters: "gui"; IconFilename: "{app}\{#AppExe}"; Comment: "STPA safety analysis"

[Registry]
; .stipa -> Stipa.Document -> "stipaw.exe gui <file>". HKA is HKCU for a per-user install and
; HKLM for an all-users install.
Root: HKA; Subkey: "Software\Classes\.stipa"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.stipa"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-stipa+xml"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.stipa\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Stipa safety analysis"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" gui ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".stipa"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Parameters: "gui"; Description: "Start {#AppName}"; Flags: nowait postinstall skipifsilent
