<#
.SYNOPSIS
  Creates the VPN connection 'VNet1' to the p2sgw gateway VNet1GW in the built-in Windows VPN client.
.DESCRIPTION
  Before running it, import your client certificate: double-click your .pfx and install it
  for the Current User (Personal store). Run this script in an elevated PowerShell, because the
  gateway's server root (VpnServerRoot.cer, next to this script) goes into the machine's
  Trusted Root store.
.PARAMETER TunnelType
  IKEv2 (enabled on the gateway when the package was generated).
#>
param(
    [ValidateSet('IKEv2')]
    [string] $TunnelType = 'IKEv2',
    [string] $Name = 'VNet1'
)
$ErrorActionPreference = 'Stop'
$ServerAddress = 'vnet1gw.p2sgw.test'
$Routes = @('10.1.0.0/16', '172.16.201.0/24')

# 1. Trust the root of the gateway's server certificate.
Import-Certificate -FilePath (Join-Path $PSScriptRoot 'VpnServerRoot.cer') -CertStoreLocation Cert:\LocalMachine\Root | Out-Null

# 2. EAP-TLS with your user certificate, as the Azure package configures it.
$eap = New-EapConfiguration -Tls -UserCertificate
if (Get-VpnConnection -Name $Name -ErrorAction SilentlyContinue) {
    Remove-VpnConnection -Name $Name -Force
}
Add-VpnConnection -Name $Name -ServerAddress $ServerAddress -TunnelType $TunnelType `
    -AuthenticationMethod Eap -EapConfigXmlStream $eap.EapConfigXmlStream `
    -EncryptionLevel Required -SplitTunneling -RememberCredential -Force

# 3. Routes to the virtual network, the client pool and custom routes.
foreach ($r in $Routes) {
    Add-VpnConnectionRoute -ConnectionName $Name -DestinationPrefix $r
}

# 4. IKEv2: a policy the gateway accepts (Windows' defaults offer only DH group 2).
if ($TunnelType -eq 'IKEv2') {
    Set-VpnConnectionIPsecConfiguration -ConnectionName $Name `
        -EncryptionMethod AES256 -IntegrityCheckMethod SHA256 -DHGroup Group14 `
        -CipherTransformConstants GCMAES256 -AuthenticationTransformConstants GCMAES256 `
        -PfsGroup None -Force
}

Write-Host "Created VPN connection '$Name' ($TunnelType) to $ServerAddress."
Write-Host "Connect from Settings > Network & Internet > VPN, or with: rasdial `"$Name`""
